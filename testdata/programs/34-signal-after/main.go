// Command signal-after deadlocks on a Signal returned by After(f), whose goroutine closes it once f
// returns: Compact holds the store's lock and waits for the signal, while f (the store's flush)
// needs that lock.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// Signal is closed when something has happened.
type Signal <-chan struct{}

// After runs f in a goroutine and returns a Signal closed when f returns.
func After(f func()) Signal {
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		f()
	}()
	return Signal(ch)
}

type job struct {
	done Signal
}

type Store struct {
	mu    sync.Mutex
	dirty int
}

func (s *Store) flush() {
	s.mu.Lock() // want: mutex-lock main.Store.mu
	s.dirty = 0
	s.mu.Unlock()
}

// Compact flushes and then compacts, holding the lock throughout.
func (s *Store) Compact() {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := &job{}
	j.done = After(s.flush)
	<-j.done // want: chan-receive main.job.done
}

func compactor(s *Store) {
	s.Compact()
}

func main() {
	s := &Store{dirty: 3}
	go compactor(s)

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
