// Command func-field-call leaks a chain of ordered workers whose hand-off runs through a func-typed
// field: `rcs[i].release = func() { close(nextc) }`, called as `rc.release()`. The second worker
// returns on an error without calling its release, so every worker after it waits forever.
package main

import (
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type reqCtx struct {
	wait    <-chan struct{}
	release func()
}

// newChain orders n requests: each waits for the one before it to release.
func newChain(n int) []reqCtx {
	rcs := make([]reqCtx, n)
	prev := make(chan struct{})
	close(prev)
	for i := range rcs {
		nextc := make(chan struct{})
		rcs[i].wait = prev
		rcs[i].release = func() { close(nextc) }
		prev = nextc
	}
	return rcs
}

func write(i int) error {
	if i == 1 {
		return errors.New("write 1: broken pipe")
	}
	return nil
}

func process(i int, rc reqCtx) {
	<-rc.wait // want: chan-receive main.reqCtx.wait
	if err := write(i); err != nil {
		return // the next request is never released
	}
	rc.release()
}

func main() {
	rcs := newChain(5)
	for i := range rcs {
		go process(i, rcs[i])
	}

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
