// Command cond-l-lock leaks a mutex taken through Cond.L: Push locks `e.cond.L` (which is &e.mu)
// and returns while holding it when the queue is full; Pop waits on `e.cond.L.Lock()` and Len on
// `e.mu.Lock()`, the same lock under two names.
package main

import (
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type Engine struct {
	mu    sync.Mutex
	cond  *sync.Cond
	queue []int
	max   int
}

func NewEngine(max int) *Engine {
	e := &Engine{max: max}
	e.cond = sync.NewCond(&e.mu)
	return e
}

var errFull = errors.New("queue full")

func (e *Engine) Push(v int) error {
	e.cond.L.Lock()
	if len(e.queue) >= e.max {
		return errFull // returns holding e.mu
	}
	e.queue = append(e.queue, v)
	e.cond.Signal()
	e.cond.L.Unlock()
	return nil
}

func (e *Engine) Pop() int {
	e.cond.L.Lock() // want: mutex-lock main.Engine.mu
	defer e.cond.L.Unlock()
	for len(e.queue) == 0 {
		e.cond.Wait()
	}
	v := e.queue[0]
	e.queue = e.queue[1:]
	return v
}

func (e *Engine) Len() int {
	e.mu.Lock() // want: mutex-lock main.Engine.mu
	defer e.mu.Unlock()
	return len(e.queue)
}

func consume(e *Engine) { _ = e.Pop() }

func stats(e *Engine) { _ = e.Len() }

func main() {
	e := NewEngine(1)
	_ = e.Push(1)
	_ = e.Push(2)
	go consume(e)
	go stats(e)

	waitParked(3)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}

// waitParked waits until n goroutines exist and gives them time to reach their blocking operation.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
}
