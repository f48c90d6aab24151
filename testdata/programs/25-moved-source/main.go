// Command moved-source leaks a goroutine: it waits to receive a reply whose only sender gave up on
// a timeout path and returned without sending. (The committed main.go is this program with five
// lines inserted near the top, as if edited after the dump was taken.)
package main

import (
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

// errNoBackend is what deliver returns when the backend did not become ready in time.
//
// The backend signals readiness by closing Client.ready; until then no reply can be sent.
// (These five lines were added after the dump was taken.)

var errNoBackend = errors.New("backend not ready: reply not sent")

type Client struct {
	replies chan string
	ready   chan struct{}
	calls   int
}

// awaitReply waits for the reply to the client's request.
func (c *Client) awaitReply(request string) string {
	c.calls++
	name := strings.TrimSpace(request)
	if name == "" {
		name = "ping"
	}
	replies := c.replies
	reply := <-replies // want: chan-receive main.Client.replies
	return name + ": " + reply
}

// deliver sends the reply once the backend is ready, or gives up after timeout.
func (c *Client) deliver(timeout time.Duration) error {
	select {
	case <-c.ready:
	case <-time.After(timeout):
		return errNoBackend
	}
	c.replies <- "pong"
	return nil
}

// call runs a request: a waiter for the reply and the delivering side, each on its own goroutine.
func call(c *Client, failures chan<- error) {
	go func() {
		_ = c.awaitReply("ping")
	}()
	go func() {
		if err := c.deliver(20 * time.Millisecond); err != nil {
			failures <- err
		}
	}()
}

func main() {
	c := &Client{replies: make(chan string), ready: make(chan struct{})}
	failures := make(chan error, 1)
	call(c, failures)
	<-failures // the delivering goroutine timed out and returned

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
