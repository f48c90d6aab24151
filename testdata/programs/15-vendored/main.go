// Command vendored uses a worker pool from a vendored module (vendor/example.org/lib/pool): the
// pool is stopped while a background flusher still submits to it, and that Submit waits forever.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"example.org/lib/pool"
)

type flusher struct {
	p       *pool.Pool
	pending []string
}

// flushLater submits the pending writes once the batch window has passed.
func (f *flusher) flushLater(window time.Duration) {
	time.Sleep(window)
	for _, w := range f.pending {
		w := w
		f.p.Submit(func() { _ = len(w) })
	}
}

func main() {
	p := pool.New(2)
	f := &flusher{p: p, pending: []string{"a", "b"}}
	go f.flushLater(50 * time.Millisecond)
	p.Stop() // the workers return; the flusher does not know

	waitParked(2)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}

// waitParked waits until n goroutines exist and gives them time to reach their blocking operation.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
}
