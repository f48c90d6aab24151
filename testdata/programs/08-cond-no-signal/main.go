// Command cond-no-signal leaves two consumers in Cond.Wait with no goroutine left that signals:
// the only producer pushed one item, signalled once and returned.
// It dumps itself the way an operator would: SIGQUIT with GOTRACEBACK=all, traceback on stderr.
package main

import (
	"runtime"
	"sync"
	"syscall"
	"time"
)

type Queue struct {
	mu       sync.Mutex
	nonEmpty *sync.Cond
	items    []string
}

func NewQueue() *Queue {
	q := &Queue{}
	q.nonEmpty = sync.NewCond(&q.mu)
	return q
}

func (q *Queue) Push(item string) {
	q.mu.Lock()
	q.items = append(q.items, item)
	q.mu.Unlock()
	q.nonEmpty.Signal()
}

func (q *Queue) Pop() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.nonEmpty.Wait() // want: cond-wait main.Queue.nonEmpty
	}
	item := q.items[0]
	q.items = q.items[1:]
	return item
}

func consumer(q *Queue) {
	_ = q.Pop()
}

func producer(q *Queue) {
	q.Push("job-1")
}

func main() {
	q := NewQueue()
	for i := 0; i < 3; i++ {
		go consumer(q)
	}
	waitParked(4)
	go producer(q)

	time.Sleep(200 * time.Millisecond)
	syscall.Kill(syscall.Getpid(), syscall.SIGQUIT)
	time.Sleep(5 * time.Second) // the runtime exits with status 2 once it has printed the traceback
}

// waitParked waits until n goroutines exist and gives them time to reach their blocking operation.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
}
