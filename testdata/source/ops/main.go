// A program that compiles and runs briefly: its operations are what the index must find.
package main

import (
	"context"
	"sync"

	"example.com/ops/worker"
)

type runner interface{ Run() }

type loop struct{ stop chan struct{} }

func (l *loop) Run() {
	<-l.stop // want: chan-receive main.loop.stop
}

func start(r runner) {
	go r.Run() // want: go example.com/ops/worker.(*Pool).Run main.(*loop).Run
	r.Run()    // want: call example.com/ops/worker.(*Pool).Run main.(*loop).Run
}

func main() {
	s := &server{newPeers: make(chan int, 1), donePeers: make(chan int, 1), quit: make(chan struct{}), pool: worker.NewPool()}
	go s.peerHandler() // want: go main.(*server).peerHandler
	s.pool.Submit(1)   // want: call example.com/ops/worker.(*Pool).Submit
	go func() {}()     // want: go main.main.func1
	r := &reactor{cond: sync.NewCond(&sync.Mutex{})}
	_ = r.Sync(false) // want: call main.(*reactor).Sync
	c := &counter{}
	c.inc() // want: call main.(*counter).inc
	contexts(context.Background()) // want: call main.contexts
}
