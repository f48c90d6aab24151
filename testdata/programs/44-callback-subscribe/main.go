// Command callback-subscribe deadlocks through a callback: the state machine registers its method
// with `b.subscribe(sm.handleNotification)`, so the method runs in the publisher's goroutine, under
// the bus lock. handleNotification sends to the state machine's loop, which meanwhile calls
// subscribe again and waits for the bus lock.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type bus struct {
	mu   sync.Mutex
	subs []func(string)
}

func (b *bus) subscribe(f func(string)) {
	b.mu.Lock() // want: mutex-lock main.bus.mu
	defer b.mu.Unlock()
	b.subs = append(b.subs, f)
}

// publishAll delivers the events to every subscriber, holding the lock throughout.
func (b *bus) publishAll(events []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ev := range events {
		for _, f := range b.subs {
			f(ev)
		}
	}
}

type stateMachine struct {
	bus   *bus
	notes chan string
	term  int
}

func (sm *stateMachine) handleNotification(ev string) {
	sm.notes <- ev // want: chan-send main.stateMachine.notes
}

func (sm *stateMachine) onLeader(ev string) { sm.term++ }

func (sm *stateMachine) run() {
	for ev := range sm.notes {
		if ev == "leader-changed" {
			sm.bus.subscribe(sm.onLeader)
		}
	}
}

func main() {
	b := &bus{}
	sm := &stateMachine{bus: b, notes: make(chan string)}
	b.subscribe(sm.handleNotification)
	go sm.run()
	go b.publishAll([]string{"leader-changed", "commit"})

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
