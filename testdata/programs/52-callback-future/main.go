// Command callback-future deadlocks through a callback that has not run yet: the state machine's
// loop holds its own lock while it waits for a notification, and the only sender is its method
// handleNotification, registered with `b.subscribe(sm.handleNotification)`. The publisher that
// would call it first asks the state machine for its status, and waits for that lock.
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
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs = append(b.subs, f)
}

func (b *bus) publish(ev string) {
	b.mu.Lock()
	subs := append([]func(string){}, b.subs...)
	b.mu.Unlock()
	for _, f := range subs {
		f(ev)
	}
}

type stateMachine struct {
	mu    sync.Mutex
	notes chan string
	state string
}

func (sm *stateMachine) handleNotification(ev string) {
	sm.notes <- ev
}

// Status reports the current state.
func (sm *stateMachine) Status() string {
	sm.mu.Lock() // want: mutex-lock main.stateMachine.mu
	defer sm.mu.Unlock()
	return sm.state
}

// run applies notifications, holding its lock while it waits for the next one.
func (sm *stateMachine) run() {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	for {
		ev := <-sm.notes // want: chan-receive main.stateMachine.notes
		sm.state = ev
	}
}

// announce publishes the state machine's next state, tagged with its current one.
func announce(b *bus, sm *stateMachine) {
	cur := sm.Status()
	b.publish(cur + "->leader")
}

func main() {
	b := &bus{}
	sm := &stateMachine{notes: make(chan string), state: "follower"}
	b.subscribe(sm.handleNotification)
	go sm.run()
	waitParked(2)
	go announce(b, sm)

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
