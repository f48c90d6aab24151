// Command callback-subscribe-healthy is the callback shape without the bug: the state machine's
// loop waits for notifications whose only sender is handleNotification, registered with
// `b.subscribe(sm.handleNotification)` and called by the bus's ticker loop, which is live (it
// sleeps between ticks).
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

// tick publishes a heartbeat every hour.
func (b *bus) tick() {
	for {
		time.Sleep(time.Hour)
		b.publish("tick")
	}
}

type stateMachine struct {
	notes chan string
	ticks int
}

func (sm *stateMachine) handleNotification(ev string) {
	sm.notes <- ev
}

func (sm *stateMachine) run() {
	for ev := range sm.notes { // want: chan-receive main.stateMachine.notes
		if ev == "tick" {
			sm.ticks++
		}
	}
}

func main() {
	b := &bus{}
	sm := &stateMachine{notes: make(chan string)}
	b.subscribe(sm.handleNotification)
	go sm.run()
	go b.tick()

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
