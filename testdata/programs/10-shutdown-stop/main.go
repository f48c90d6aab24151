// Command shutdown-stop hangs in shutdown: Stop closes quit and waits for the worker to signal done,
// but the worker is blocked sending a result on its output channel, whose only reader already exited.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

type Job struct{ Text string }
type Result struct{ Text string }

type Worker struct {
	in   chan Job
	out  chan Result
	quit chan struct{}
	done chan struct{}
}

func NewWorker() *Worker {
	return &Worker{in: make(chan Job), out: make(chan Result), quit: make(chan struct{}), done: make(chan struct{})}
}

// run processes jobs until quit is closed; done is closed when it returns.
func (w *Worker) run() {
	defer close(w.done)
	out := w.out
	for {
		select {
		case j := <-w.in:
			out <- Result{Text: strings.ToUpper(j.Text)} // want: chan-send main.Worker.out
		case <-w.quit:
			return
		}
	}
}

// Stop asks the worker to finish and waits until it has.
func (w *Worker) Stop() {
	close(w.quit)
	<-w.done // want: chan-receive main.Worker.done
}

// collect reads n results, then returns: the reader the worker's output depends on.
func collect(w *Worker, n int, got chan<- []Result) {
	var results []Result
	for i := 0; i < n; i++ {
		results = append(results, <-w.out)
	}
	got <- results
}

func shutdown(w *Worker) {
	w.Stop()
}

func main() {
	w := NewWorker()
	go w.run()
	got := make(chan []Result, 1)
	go collect(w, 1, got)

	w.in <- Job{Text: "first"}
	<-got                       // collect has read its one result and exited
	w.in <- Job{Text: "second"} // the worker takes it and blocks sending the result

	go shutdown(w)
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
