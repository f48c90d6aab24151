// Command promoted-method is healthy: a watcher goroutine waits on w.done, closed only by
// (*Watcher).Close, which is called only through a FileWatcher interface holding an fsWatcher
// (which embeds *Watcher: Close is a promoted method), from a live goroutine.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type FileWatcher interface {
	Close()
}

type Watcher struct {
	done      chan struct{}
	closeOnce sync.Once
	paths     []string
}

func NewWatcher(paths ...string) *Watcher {
	w := &Watcher{done: make(chan struct{}), paths: paths}
	go w.loop()
	return w
}

// loop watches until the watcher is closed.
func (w *Watcher) loop() {
	<-w.done // want: chan-receive main.Watcher.done
	w.paths = nil
}

// Close stops the watcher.
func (w *Watcher) Close() {
	w.closeOnce.Do(func() { close(w.done) })
}

// fsWatcher adapts a Watcher to FileWatcher; Close is promoted from *Watcher.
type fsWatcher struct {
	*Watcher
}

func newFileWatcher(paths ...string) FileWatcher {
	return fsWatcher{NewWatcher(paths...)}
}

// supervise closes the watcher once the configuration has not changed for a day.
func supervise(fw FileWatcher) {
	idle := 0
	for {
		time.Sleep(time.Hour)
		idle++
		if idle >= 24 {
			fw.Close()
			return
		}
	}
}

func main() {
	fw := newFileWatcher("/etc/app.conf")
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
