// Command timer-stop-drained blocks forever on a Timer's channel: the read loop's select already
// took the tick, so t.Stop() returns false, and the usual "drain after a failed Stop" receives
// from t.C a second time.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type conn struct {
	data     chan []byte
	timeouts int
}

// readWithTimeout waits for data or a timeout, then resets its timer for the next read.
func (c *conn) readWithTimeout() {
	t := time.NewTimer(20 * time.Millisecond)
	for {
		select {
		case b := <-c.data:
			_ = b
		case <-t.C:
			c.timeouts++
		}
		if !t.Stop() {
			<-t.C // want: chan-receive main.(*conn).readWithTimeout#t.C
		}
		t.Reset(20 * time.Millisecond)
	}
}

func main() {
	c := &conn{data: make(chan []byte)}
	go c.readWithTimeout()

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
