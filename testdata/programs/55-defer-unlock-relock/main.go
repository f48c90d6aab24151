// Command defer-unlock-relock guards the end of a held region at an explicit unlock: apply takes
// s.mu with a deferred unlock, unlocks it by hand while it waits for the next batch, and locks it
// again after. Waiting there, it holds nothing. The real culprit is flush, which holds s.mu while it
// waits for a done signal nobody sends; feed waits for s.mu behind it, and apply waits for feed.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type Store struct {
	mu      sync.Mutex
	batches chan []int
	done    chan struct{}
	applied int
}

// apply applies batches; it lets go of the lock while it waits for one.
func (s *Store) apply() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applied++
	s.mu.Unlock()
	b := <-s.batches // want: chan-receive main.Store.batches
	s.mu.Lock()
	s.applied += len(b)
}

// flush writes the store out, holding the lock until the writer says it is done.
func (s *Store) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	<-s.done // want: chan-receive main.Store.done
}

// feed hands apply its next batch once it may look at the store.
func (s *Store) feed() {
	s.mu.Lock() // want: mutex-lock main.Store.mu
	n := s.applied
	s.mu.Unlock()
	s.batches <- []int{n}
}

func main() {
	s := &Store{batches: make(chan []int), done: make(chan struct{})}
	go s.apply()
	time.Sleep(50 * time.Millisecond)
	go s.flush()
	time.Sleep(50 * time.Millisecond)
	go s.feed()

	waitParked(4)
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
