// Command promoted-interface deadlocks through a promoted method reached by interface dispatch:
// supervise holds a FileWatcher that is an fsWatcher{*Watcher}; it closes the watcher (Close waits
// for the loop to stop) before draining fw.Events(), while the loop is blocked sending its next
// event and only checks the stop channel between sends.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type FileWatcher interface {
	Events() <-chan string
	Close()
}

type Watcher struct {
	events  chan string
	stop    chan struct{}
	stopped chan struct{}
}

func NewWatcher() *Watcher {
	w := &Watcher{events: make(chan string), stop: make(chan struct{}), stopped: make(chan struct{})}
	go w.loop()
	return w
}

func (w *Watcher) loop() {
	defer close(w.stopped)
	defer close(w.events)
	for {
		select {
		case <-w.stop:
			return
		default:
		}
		w.events <- "config.yaml changed" // want: chan-send main.Watcher.events
	}
}

// Events returns the channel of change events.
func (w *Watcher) Events() <-chan string { return w.events }

// Close stops the loop and waits until it has stopped.
func (w *Watcher) Close() {
	close(w.stop)
	<-w.stopped // want: chan-receive main.Watcher.stopped
}

// fsWatcher adapts a Watcher to FileWatcher; Events and Close are promoted from *Watcher.
type fsWatcher struct {
	*Watcher
}

// supervise reloads once, then closes the watcher and drains what is left: in the wrong order.
func supervise(fw FileWatcher) {
	ev := <-fw.Events()
	time.Sleep(10 * time.Millisecond) // reload the configuration
	_ = ev
	fw.Close()
	for range fw.Events() {
	}
}

func main() {
	var fw FileWatcher = fsWatcher{NewWatcher()}
	go supervise(fw)

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
