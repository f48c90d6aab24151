// Command recursive-rlock takes a read lock it already holds while a writer is pending: the pending
// writer blocks new readers, so the reader's second RLock waits for the writer, which waits for
// the reader's first RLock to be released.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type Registry struct {
	mu       sync.RWMutex
	services map[string]string
	// writerPending is closed by main once the writer is blocked in Lock, so that the reader's
	// second RLock always comes after it.
	writerPending chan struct{}
}

// Describe holds the read lock and calls Count, which takes it again.
func (r *Registry) Describe(name string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	<-r.writerPending
	if r.Count() == 0 {
		return ""
	}
	return r.services[name]
}

func (r *Registry) Count() int {
	r.mu.RLock() // want: rwmutex-rlock main.Registry.mu
	defer r.mu.RUnlock()
	return len(r.services)
}

func (r *Registry) Register(name, addr string) {
	r.mu.Lock() // want: rwmutex-lock main.Registry.mu
	defer r.mu.Unlock()
	r.services[name] = addr
}

func main() {
	r := &Registry{services: map[string]string{"db": "10.0.0.5"}, writerPending: make(chan struct{})}
	go func() {
		_ = r.Describe("db")
	}()
	waitParked(2)
	go r.Register("cache", "10.0.0.9")
	waitParked(3)
	close(r.writerPending)

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
