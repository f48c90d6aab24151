// Locks, WaitGroups, Conds, Once and contexts, with held regions and leaky returns.
package main

import (
	"context"
	"errors"
	"sync"
	"time"
)

type counter struct {
	sync.Mutex
	n int
}

func (c *counter) inc() {
	c.Lock() // want: mutex-lock main.counter.Mutex
	c.n++
	c.Unlock() // want: mutex-unlock main.counter.Mutex
}

type guardedMutex struct{ sync.RWMutex }

type reactor struct {
	mtx    guardedMutex
	rw     sync.RWMutex
	wg     sync.WaitGroup
	cond   *sync.Cond
	once   sync.Once
	syncer *int
}

func (r *reactor) Sync(fail bool) error {
	r.mtx.Lock() // want: mutex-lock main.reactor.mtx
	if r.syncer != nil {
		r.mtx.Unlock() // want: mutex-unlock main.reactor.mtx
		return errors.New("in progress")
	}
	if fail {
		return errors.New("init failed") // want: leaky-return main.reactor.mtx
	}
	r.mtx.Unlock() // want: mutex-unlock main.reactor.mtx
	return nil
}

func (r *reactor) read() int {
	r.rw.RLock()         // want: rwmutex-rlock main.reactor.rw
	defer r.rw.RUnlock() // want: rwmutex-runlock main.reactor.rw
	if r.syncer == nil {
		return 0
	}
	return *r.syncer
}

func (r *reactor) write() {
	r.rw.Lock()         // want: mutex-lock main.reactor.rw
	defer r.rw.Unlock() // want: mutex-unlock main.reactor.rw
}

func (r *reactor) waitAll() {
	r.wg.Add(1) // want: waitgroup-add main.reactor.wg
	go func() {
		defer r.wg.Done() // want: waitgroup-done main.reactor.wg
		r.cond.L.Lock()   // want: mutex-lock main.reactor.cond.L
		r.cond.Wait()     // want: cond-wait main.reactor.cond
		r.cond.L.Unlock() // want: mutex-unlock main.reactor.cond.L
	}()
	r.wg.Wait() // want: waitgroup-wait main.reactor.wg
	r.cond.Broadcast() // want: cond-broadcast main.reactor.cond
	r.cond.Signal()    // want: cond-signal main.reactor.cond
	r.once.Do(func() {}) // want: once-do main.reactor.once
}

func contexts(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel() // want: context-cancel main.contexts#ctx
	go func() {
		<-ctx.Done() // want: chan-receive main.contexts#ctx
	}()
	cancel() // want: context-cancel main.contexts#ctx
	tctx, stop := context.WithTimeout(parent, time.Second)
	defer stop() // want: context-cancel main.contexts#tctx
	<-tctx.Done() // want: chan-receive main.contexts#tctx
}

func lockedHelper(mu *sync.Mutex) {
	mu.Lock() // want: mutex-lock main.lockedHelper#mu
}
