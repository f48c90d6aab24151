// Writes the goroutine profile in its three forms (debug=0 protobuf, debug=1, debug=2) while
// goroutines with pprof labels wait on channels and locks.
package main

import (
	"context"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

type queue struct {
	mu    sync.Mutex
	items chan int
}

func (q *queue) produce() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items <- 1 // blocks: nobody consumes
}

func main() {
	q := &queue{items: make(chan int)}
	for i := 0; i < 4; i++ {
		pprof.Do(context.Background(), pprof.Labels("role", "producer"), func(context.Context) {
			go q.produce()
		})
	}
	go func() { select {} }()
	time.Sleep(100 * time.Millisecond)
	for debug, name := range []string{"debug0.pb.gz", "debug1.txt", "debug2.txt"} {
		f, err := os.Create(os.Args[1] + "." + name)
		if err != nil {
			panic(err)
		}
		pprof.Lookup("goroutine").WriteTo(f, debug)
		f.Close()
	}
}
