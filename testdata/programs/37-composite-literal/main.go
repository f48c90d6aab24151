// Command composite-literal leaks the applier of a raft-like node: each apply carries a notifyc
// channel set by a composite literal (`apply{entries: …, notifyc: notifyc}`); the node loop sends
// on its local notifyc once the entries are on disk, but returns on a disk error without doing so.
package main

import (
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type apply struct {
	entries []int
	notifyc chan struct{}
}

type raftNode struct {
	applyc chan apply
}

func saveToDisk(entries []int) error {
	if len(entries) > 2 {
		return errors.New("wal: disk full")
	}
	return nil
}

// run hands each batch to the applier and tells it when the batch is durable.
func (r *raftNode) run(batches [][]int) error {
	for _, entries := range batches {
		notifyc := make(chan struct{})
		ap := apply{entries: entries, notifyc: notifyc}
		r.applyc <- ap
		if err := saveToDisk(entries); err != nil {
			return err // the applier waits on notifyc forever
		}
		notifyc <- struct{}{}
	}
	return nil
}

// applyAll applies each batch once it is durable.
func (r *raftNode) applyAll() {
	for ap := range r.applyc {
		<-ap.notifyc // want: chan-receive main.apply.notifyc
		_ = len(ap.entries)
	}
}

func main() {
	r := &raftNode{applyc: make(chan apply)}
	go r.applyAll()
	_ = r.run([][]int{{1}, {2, 3}, {4, 5, 6}})

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
