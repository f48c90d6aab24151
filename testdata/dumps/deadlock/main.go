// A program every goroutine of which ends up blocked: the runtime prints
// "fatal error: all goroutines are asleep - deadlock!" and the stacks.
package main

import (
	"sync"
	"time"
)

type store struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	ready chan int
}

func (s *store) lockTwice() {
	s.mu.Lock()
	s.mu.Lock() // blocks forever: already held
}

func (s *store) readThenWrite(wg *sync.WaitGroup) {
	defer wg.Done()
	s.rw.RLock()
	time.Sleep(10 * time.Millisecond)
	s.rw.Lock() // blocks forever: own read lock
}

func waitForValue(ch <-chan int) int { return <-ch }

func main() {
	s := &store{ready: make(chan int)}
	var wg sync.WaitGroup
	wg.Add(2)
	go s.lockTwice()
	go s.readThenWrite(&wg)
	go func() {
		defer wg.Done()
		var nilChan chan int
		nilChan <- 1
	}()
	go func() {
		select {}
	}()
	go func() {
		cond := sync.NewCond(&sync.Mutex{})
		cond.L.Lock()
		cond.Wait()
	}()
	go waitForValue(s.ready)
	time.Sleep(50 * time.Millisecond)
	wg.Wait()
}
