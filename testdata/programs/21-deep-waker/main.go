// Command deep-waker is healthy: a pipeline stage waits to receive on its input, whose only sender
// is four calls away from a live ticker loop (loop → step → apply → commit → send).
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type Pipeline struct {
	in    chan int
	total int
}

// run consumes the pipeline's input.
func (p *Pipeline) run() {
	for {
		x := <-p.in // want: chan-receive main.Pipeline.in
		p.total += x
	}
}

type Driver struct {
	p       *Pipeline
	pending []int
}

// loop runs one step per tick.
func (d *Driver) loop() {
	ticker := time.NewTicker(time.Hour)
	defer ticker.Stop()
	for range ticker.C { // want: chan-receive main.(*Driver).loop#ticker.C
		d.step()
	}
}

func (d *Driver) step() {
	for _, n := range d.pending {
		d.apply(n)
	}
	d.pending = d.pending[:0]
}

func (d *Driver) apply(n int) {
	if n > 0 {
		d.commit(n * 2)
	}
}

func (d *Driver) commit(x int) {
	d.p.in <- x
}

func main() {
	p := &Pipeline{in: make(chan int)}
	go p.run()
	d := &Driver{p: p, pending: []int{1, 2, 3}}
	go d.loop()

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
