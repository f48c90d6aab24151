// Command producer-no-quit leaks a producer: its select offers a value or takes a flush request,
// but has no case for quit, so when the consumer stops reading (and closes quit) it waits forever.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type Number interface {
	~int | ~int64 | ~float64
}

type feed struct {
	values chan float64
	flush  chan struct{}
	quit   chan struct{}
}

// produce sends generated values until... nothing: the quit case is missing from its select.
func produce[T Number](f *feed, next func() T) {
	pending := []float64{}
	for {
		pending = append(pending, float64(next()))
		select { // want: select main.feed.values main.feed.flush
		case f.values <- pending[0]:
			pending = pending[1:]
		case <-f.flush:
			pending = pending[:0]
		}
	}
}

// consume reads n values, then tells the producer to stop.
func consume(f *feed, n int) float64 {
	sum := 0.0
	for i := 0; i < n; i++ {
		sum += <-f.values
	}
	close(f.quit)
	return sum
}

// Flush drops the producer's pending values; nothing calls it in this run.
func (f *feed) Flush() {
	f.flush <- struct{}{}
}

func main() {
	f := &feed{values: make(chan float64), flush: make(chan struct{}), quit: make(chan struct{})}
	counter := 0
	go produce(f, func() int { counter++; return counter })
	_ = consume(f, 3)

	waitParked(2)
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
