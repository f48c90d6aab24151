// Command func-field-call-healthy is 43 without the early return: the first request of the chain is
// still writing (sleeping) and will call `rc.release()`, which closes the channel the next one waits
// on, and so on down the chain. Nothing is stuck.
package main

import (
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

func write(i int) {
	time.Sleep(time.Hour) // a slow disk
}

func process(i int, rc reqCtx) {
	<-rc.wait // want: chan-receive main.reqCtx.wait
	write(i)
	rc.release()
}

func main() {
	rcs := newChain(5)
	for i := range rcs {
		go process(i, rcs[i])
	}

	waitParked(6)
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
