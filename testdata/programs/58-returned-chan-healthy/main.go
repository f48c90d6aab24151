// Command returned-chan-healthy makes a channel in one function and returns it; the caller hands it
// to a producer goroutine of its own and ranges over it. The producer is still working (sleeping)
// before its next send: nothing is stuck, although the channel's only sender runs in no call of the
// function that made it.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// newQueue makes the queue the caller fills and drains.
func newQueue() chan int {
	q := make(chan int)
	return q
}

// produce sends a value now and then.
func produce(q chan<- int) {
	for i := 0; ; i++ {
		time.Sleep(time.Hour) // the next value takes a while
		q <- i
	}
}

func consume() {
	q := newQueue()
	go produce(q)
	for v := range q { // want: chan-receive main.produce#q
		_ = v
	}
}

func main() {
	go consume()

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
