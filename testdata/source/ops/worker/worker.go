// Package worker is imported by the fixture's main package: resources and calls across packages.
package worker

import "sync"

// Pool hands jobs to its goroutines.
type Pool struct {
	mu   sync.Mutex
	jobs chan int
	done chan struct{}
	wg   sync.WaitGroup
}

func NewPool() *Pool {
	return &Pool{jobs: make(chan int), done: make(chan struct{})}
}

// Done is a getter: a receive on its result is a receive on the field.
func (p *Pool) Done() <-chan struct{} {
	return p.done
}

func (p *Pool) Submit(n int) {
	p.jobs <- n // want: chan-send example.com/ops/worker.Pool.jobs
}

func (p *Pool) Run() {
	defer p.wg.Done() // want: waitgroup-done example.com/ops/worker.Pool.wg
	for n := range p.jobs { // want: chan-range example.com/ops/worker.Pool.jobs
		p.mu.Lock() // want: mutex-lock example.com/ops/worker.Pool.mu
		_ = n
		p.mu.Unlock() // want: mutex-unlock example.com/ops/worker.Pool.mu
	}
	close(p.done) // want: chan-close example.com/ops/worker.Pool.done
}
