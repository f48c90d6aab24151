// Command actor-closes-own is healthy: a write-ahead log runs as an actor goroutine that owns its
// request channel (it closes actorc itself when stopped). Its senders are API methods (Append),
// called periodically by a live goroutine that sleeps between calls.
package main

import (
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

var errClosed = errors.New("wal: closed")

type appendRequest struct {
	data string
	done chan error
}

type WAL struct {
	actorc  chan appendRequest
	stopc   chan struct{}
	entries []string
}

func newWAL() *WAL {
	w := &WAL{actorc: make(chan appendRequest), stopc: make(chan struct{})}
	go w.run()
	return w
}

// run is the actor: it serves append requests until stopped, then closes its own request channel.
func (w *WAL) run() {
	for {
		select { // want: select main.WAL.actorc main.WAL.stopc
		case req := <-w.actorc:
			w.entries = append(w.entries, req.data)
			req.done <- nil
		case <-w.stopc:
			close(w.actorc)
			return
		}
	}
}

// Append hands an entry to the actor and waits until it is written.
func (w *WAL) Append(data string) (err error) {
	defer func() {
		if recover() != nil {
			err = errClosed
		}
	}()
	req := appendRequest{data: data, done: make(chan error, 1)}
	w.actorc <- req
	return <-req.done
}

// Stop ends the actor.
func (w *WAL) Stop() { close(w.stopc) }

// checkpoint appends a checkpoint record every minute.
func checkpoint(w *WAL) {
	for {
		if err := w.Append("checkpoint"); err != nil {
			return
		}
		time.Sleep(time.Minute)
	}
}

func main() {
	w := newWAL()
	defer w.Stop()
	go checkpoint(w)

	waitParked(3)
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
