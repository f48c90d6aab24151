// Command range-field-chans loses channels held in a slice field and a map field: publishAll sends
// every value to each channel of m.outs by ranging over the field, the drainer receives once from
// each (ranging too) and stops, so the second round blocks; the watchers ranged out of m.done are
// closed only by Close, which publishAll defers.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// Mux fans values out to its outputs.
type Mux struct {
	outs []chan int
	done map[string]chan struct{}
}

func NewMux(names ...string) *Mux {
	m := &Mux{done: make(map[string]chan struct{})}
	for _, name := range names {
		m.outs = append(m.outs, make(chan int))
		m.done[name] = make(chan struct{})
	}
	return m
}

// publish sends v to every output, in order.
func (m *Mux) publish(v int) {
	for _, ch := range m.outs {
		ch <- v // want: chan-send main.Mux.outs
	}
}

// Close releases the watchers.
func (m *Mux) Close() {
	for _, ch := range m.done {
		close(ch)
	}
}

func (m *Mux) publishAll(values []int) {
	defer m.Close()
	for _, v := range values {
		m.publish(v)
	}
}

// drainOnce takes one value from each output: it expects a single round.
func (m *Mux) drainOnce() {
	for _, ch := range m.outs {
		<-ch
	}
}

// watch waits for every output to be closed.
func (m *Mux) watch() {
	for _, ch := range m.done {
		<-ch // want: chan-receive main.Mux.done
	}
}

func main() {
	m := NewMux("a", "b", "c")
	go m.watch()
	go m.drainOnce()
	go m.publishAll([]int{1, 2})

	waitParked(3)
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
