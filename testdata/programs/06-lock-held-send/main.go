// Command lock-held-send sends on an unbuffered channel while holding a mutex that the channel's
// receiver needs: Publish holds Hub.mu while sending a batch on Hub.events; the dispatcher, after
// taking the first event, hands it to a Handler (an interface) whose implementation locks Hub.mu.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type Event struct {
	Topic string
}

// Handler receives dispatched events.
type Handler interface {
	Handle(e Event)
}

type Hub struct {
	mu        sync.Mutex
	events    chan Event
	delivered map[string]int
	handler   Handler
}

func NewHub() *Hub {
	h := &Hub{events: make(chan Event), delivered: map[string]int{}}
	h.handler = h
	return h
}

// Publish sends a batch of events in order; the lock keeps batches from interleaving.
func (h *Hub) Publish(batch []Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, e := range batch {
		h.events <- e // want: chan-send main.Hub.events
	}
}

// dispatch is the hub's delivery loop.
func (h *Hub) dispatch() {
	for e := range h.events {
		h.handler.Handle(e)
	}
}

// Handle counts the delivery; it is the Handler the hub installs for itself.
func (h *Hub) Handle(e Event) {
	h.mu.Lock() // want: mutex-lock main.Hub.mu
	defer h.mu.Unlock()
	h.delivered[e.Topic]++
}

func main() {
	h := NewHub()
	go h.dispatch()
	go h.Publish([]Event{{Topic: "orders"}, {Topic: "payments"}})

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
