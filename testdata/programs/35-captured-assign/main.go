// Command captured-assign leaks a goroutine waiting on a channel that reached it through a plain
// assignment to a captured variable: stage sets `next = nextc` in a closure, the waiter receives
// from next, and stage returns on a validation error without ever sending on nextc.
package main

import (
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

func validate(batch []int) error {
	if len(batch) == 0 {
		return errors.New("empty batch")
	}
	return nil
}

// stage hands the batch on to the next stage once it has been validated.
func stage(batch []int, nextc chan bool) error {
	var next chan bool
	setNext := func() { next = nextc }
	setNext()
	go func() {
		if <-next { // want: chan-receive main.stage#nextc
			_ = len(batch)
		}
	}()
	if err := validate(batch); err != nil {
		return err // the waiter is left behind: nothing sends on nextc
	}
	nextc <- true
	return nil
}

func run() {
	_ = stage(nil, make(chan bool))
}

func main() {
	go run()

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
