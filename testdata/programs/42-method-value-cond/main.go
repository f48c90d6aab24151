// Command method-value-cond loses a wakeup through a method value: waitReady hands n.cond.Wait to
// After, whose goroutine blocks in the Cond's Wait, and waits on the channel After returns. The
// only Broadcast ran before the wait started, and nothing checks the ready flag.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// After runs f in a goroutine and returns a channel closed when f returns.
func After(f func()) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		f() // want: cond-wait main.node.cond
		close(ch)
	}()
	return ch
}

type node struct {
	mu    sync.Mutex
	cond  *sync.Cond
	ready bool
}

func newNode() *node {
	n := &node{}
	n.cond = sync.NewCond(&n.mu)
	return n
}

func (n *node) setReady() {
	n.mu.Lock()
	n.ready = true
	n.cond.Broadcast()
	n.mu.Unlock()
}

// waitReady waits for the node to become ready (but never looks at n.ready).
func (n *node) waitReady() {
	n.mu.Lock()
	ch := After(n.cond.Wait)
	<-ch // want: chan-receive main.After#ch
	n.mu.Unlock()
}

func main() {
	n := newNode()
	n.setReady()
	go n.waitReady()

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
