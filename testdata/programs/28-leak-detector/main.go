// Command leak-detector leaks a goroutine that Go's leak detector can prove leaked: search starts a
// backend call whose result it sends on an unbuffered local channel, gives up on a timeout and
// returns, and nothing can reach the channel any more. The dump comes from the goroutineleak
// profile (Go 1.27: a leak-detecting GC runs first and the leaked goroutine prints as
// `[chan send (leaked)]`); where that profile does not exist (Go 1.26 without
// GOEXPERIMENT=goroutineleakprofile, Go 1.19) it is the goroutine profile.
package main

import (
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

var errTimeout = errors.New("search: backend timed out")

// backend answers a query, slowly.
func backend(query string) string {
	time.Sleep(50 * time.Millisecond)
	return "results for " + query
}

// search asks the backend, giving up after timeout.
func search(query string, timeout time.Duration) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- backend(query) // want: chan-send main.search#ch
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(timeout):
		return "", errTimeout
	}
}

func main() {
	if _, err := search("gridlock", 10*time.Millisecond); err == nil {
		panic("the backend answered in time")
	}
	time.Sleep(100 * time.Millisecond) // the backend has answered and its goroutine is blocked sending

	waitParked(2)
	profile := pprof.Lookup("goroutineleak")
	if profile == nil {
		profile = pprof.Lookup("goroutine")
	}
	profile.WriteTo(os.Stdout, 2)
}

// waitParked waits until n goroutines exist and gives them time to reach their blocking operation.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
}
