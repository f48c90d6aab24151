// Command context-cancel shows a context that will never be cancelled: run's deferred cancel()
// would release the watcher goroutine, but run itself waits forever to hand over its result.
// Beside it, a goroutine waiting on a context with a timeout is fine: its deadline always fires.
package main

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// results is read by nobody in this run.
var results = make(chan int)

func run() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-ctx.Done() // want: chan-receive main.run#ctx
	}()
	results <- 42 // want: chan-send main.results
}

// poll waits on a context with a timeout: never stuck, whatever else happens.
func poll() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	<-ctx.Done() // want: chan-receive main.poll#ctx
}

func main() {
	go run()
	go poll()

	waitParked(4)
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
