// Command orphaned-timeout leaks a goroutine: it waits to receive an acknowledgement whose only
// sender gave up on a timeout path and returned without sending.
package main

import (
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

var errAckTimeout = errors.New("peer not ready: acknowledgement not sent")

type Session struct {
	acks  chan string
	ready chan struct{}
}

// awaitAck waits for the acknowledgement of the session handshake.
func (s *Session) awaitAck() string {
	ch := s.acks
	return <-ch // want: chan-receive main.Session.acks
}

// sendAck acknowledges once the peer is ready, or gives up after timeout.
func (s *Session) sendAck(timeout time.Duration) error {
	select {
	case <-s.ready:
	case <-time.After(timeout):
		return errAckTimeout
	}
	s.acks <- "ack"
	return nil
}

// startSession runs the handshake: a waiter and the acknowledging side, each on its own goroutine.
func startSession(s *Session, failures chan<- error) {
	go func() {
		go func() {
			_ = s.awaitAck()
		}()
		if err := s.sendAck(20 * time.Millisecond); err != nil {
			failures <- err
		}
	}()
}

func main() {
	s := &Session{acks: make(chan string), ready: make(chan struct{})}
	failures := make(chan error, 1)
	startSession(s, failures)
	<-failures // the acknowledging goroutine timed out and returned

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
