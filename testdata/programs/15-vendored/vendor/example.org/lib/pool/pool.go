// Package pool runs submitted tasks on a fixed set of workers. It is vendored into the fixture so
// that the dump shows frames under vendor/, the way dependencies appear in a vendored build.
package pool

import "sync"

type Pool struct {
	tasks chan func()
	quit  chan struct{}
	wg    sync.WaitGroup
}

func New(workers int) *Pool {
	p := &Pool{tasks: make(chan func()), quit: make(chan struct{})}
	for i := 0; i < workers; i++ {
		p.wg.Add(1)
		go p.work()
	}
	return p
}

func (p *Pool) work() {
	defer p.wg.Done()
	for {
		select {
		case task := <-p.tasks:
			task()
		case <-p.quit:
			return
		}
	}
}

// Submit hands a task to a free worker. After Stop there is none, and it waits forever.
func (p *Pool) Submit(task func()) {
	p.tasks <- task // want: chan-send example.org/lib/pool.Pool.tasks
}

// Stop makes the workers return and waits for them.
func (p *Pool) Stop() {
	close(p.quit)
	p.wg.Wait()
}
