// Command escape-go-discarded leaks the goroutine of a `Go(f)` helper whose returned channel is
// discarded: flushAll calls Go(...) as a statement, so nobody will ever receive the result the
// goroutine sends. Beside it, a watchdog uses Go the right way: it waits on the returned channel
// while its probe is still running.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// Go runs f in a goroutine and returns a channel that delivers its error.
func Go(f func() error) <-chan error {
	ch := make(chan error)
	go func() {
		ch <- f() // want: chan-send main.Go#ch
	}()
	return ch
}

func flush(name string) error { return nil }

func slowProbe() error {
	time.Sleep(time.Hour)
	return nil
}

func flushAll() {
	Go(func() error { return flush("wal") }) // the result channel is dropped
}

func watchdog() {
	if err := <-Go(slowProbe); err != nil { // want: chan-receive main.Go#ch
		println(err.Error())
	}
}

func main() {
	flushAll()
	go watchdog()

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
