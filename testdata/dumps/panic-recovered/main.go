// A panic that is recovered and re-raised, from inside a generic function called by a closure
// in a goroutine started by another goroutine, while other goroutines wait on channels.
package main

import (
	"fmt"
	"sync"
)

type pair[K comparable, V any] struct {
	key K
	val V
}

//go:noinline
func apply[T any](items []T, f func(T)) {
	for _, item := range items {
		f(item)
	}
}

type worker struct{ id int }

//go:noinline
func (w worker) explode(p pair[string, int]) {
	panic(fmt.Sprintf("worker %d: bad pair %s=%d", w.id, p.key, p.val))
}

func (w *worker) run(done chan<- struct{}) {
	defer func() {
		if r := recover(); r != nil {
			panic(fmt.Sprint("re-panic: ", r))
		}
	}()
	apply([]pair[string, int]{{"a", 1}}, func(p pair[string, int]) {
		func() { w.explode(p) }()
	})
	close(done)
}

func main() {
	var mu sync.Mutex
	mu.Lock()
	block := make(chan int)
	go func() { <-block }()
	go func() { mu.Lock() }()
	started := make(chan struct{})
	go func() {
		close(started)
		done := make(chan struct{})
		w := &worker{id: 7}
		go w.run(done)
		<-done
	}()
	<-started
	select {}
}
