// Command getter-nil-check deadlocks a stopper: its workers wait on the channel returned by
// ShouldQuiesce, a getter with a nil check and two returns, while Stop waits for the workers
// (wg.Wait) before it closes that channel.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// Stopper runs workers until it is stopped.
type Stopper struct {
	quiescer chan struct{}
	wg       sync.WaitGroup
}

func NewStopper() *Stopper { return &Stopper{quiescer: make(chan struct{})} }

// ShouldQuiesce returns the channel closed when the stopper quiesces; a nil stopper never does.
func (s *Stopper) ShouldQuiesce() <-chan struct{} {
	if s == nil {
		return nil
	}
	return s.quiescer
}

// RunWorker runs f in a goroutine that Stop waits for.
func (s *Stopper) RunWorker(f func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
}

// Stop waits for the workers, then tells them to quiesce: the wrong order.
func (s *Stopper) Stop() {
	s.wg.Wait() // want: waitgroup-wait main.Stopper.wg
	close(s.quiescer)
}

func worker(s *Stopper, id int) {
	<-s.ShouldQuiesce() // want: chan-receive main.Stopper.quiescer
	_ = id
}

func shutdown(s *Stopper) {
	s.Stop()
}

func main() {
	s := NewStopper()
	for i := 0; i < 3; i++ {
		i := i
		s.RunWorker(func() { worker(s, i) })
	}
	go shutdown(s)

	waitParked(5)
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
