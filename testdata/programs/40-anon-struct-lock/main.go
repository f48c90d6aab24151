// Command anon-struct-lock deadlocks on a lock embedded in an anonymous struct field
// (`mu struct { sync.RWMutex; m map[int]*Replica }`): removeReplica takes s.mu then the replica's
// lock, while the replica's split takes its own lock then s.mu.RLock: AB-BA.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type Replica struct {
	mu       sync.Mutex
	id       int
	removed  bool
	splitKey string
}

type Store struct {
	mu struct {
		sync.RWMutex
		m map[int]*Replica
	}
}

// removeReplica unregisters a replica and marks it removed.
func (s *Store) removeReplica(id int, ready *sync.WaitGroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mu.m[id]
	delete(s.mu.m, id)
	ready.Done()
	ready.Wait()
	r.mu.Lock() // want: mutex-lock main.Replica.mu
	r.removed = true
	r.mu.Unlock()
}

// split looks up the right-hand side of the split while holding the replica's lock.
func (r *Replica) split(s *Store, ready *sync.WaitGroup) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ready.Done()
	ready.Wait()
	s.mu.RLock() // want: rwmutex-rlock main.Store.mu
	_ = len(s.mu.m)
	s.mu.RUnlock()
}

func main() {
	s := &Store{}
	s.mu.m = map[int]*Replica{1: {id: 1}}
	r := s.mu.m[1]
	var ready sync.WaitGroup
	ready.Add(2)
	go s.removeReplica(1, &ready)
	go r.split(s, &ready)

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
