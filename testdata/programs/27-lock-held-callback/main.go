// Command lock-held-callback is healthy: a reader waits for Store.mu while the writer holds it and
// runs a change callback inside the held region, which does slow IO (a sleep here). Slow, but the
// holder is alive and will unlock.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type Store struct {
	mu       sync.Mutex
	data     map[string]string
	onChange func(key, value string)
}

// Set stores a value and reports the change, holding the lock throughout.
func (s *Store) Set(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[key] = value
	s.onChange(key, value)
}

// Get reads a value.
func (s *Store) Get(key string) string {
	s.mu.Lock() // want: mutex-lock main.Store.mu
	defer s.mu.Unlock()
	return s.data[key]
}

// persist writes the change to slow storage.
func persist(key, value string) {
	time.Sleep(time.Hour)
}

func serveReads(s *Store) {
	for {
		_ = s.Get("config")
		time.Sleep(time.Second)
	}
}

func main() {
	s := &Store{data: map[string]string{}}
	s.onChange = func(key, value string) {
		persist(key, value)
	}
	go s.Set("config", "v2")
	waitParked(2)
	go serveReads(s)

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
