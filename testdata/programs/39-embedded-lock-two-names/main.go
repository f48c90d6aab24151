// Command embedded-lock-two-names leaks the lock embedded in a Container, which the code reaches
// under two names: restart takes it as `c := d.containers.Get(id); c.Lock()` and returns while
// holding it when the container is being removed; handle takes it as its parameter `c.Lock()`.
package main

import (
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type Container struct {
	sync.Mutex
	ID    string
	State string
}

type memoryStore struct {
	mu sync.Mutex
	m  map[string]*Container
}

func (s *memoryStore) Get(id string) *Container {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}

type Daemon struct {
	containers *memoryStore
}

var errRemoving = errors.New("container is being removed")

func (d *Daemon) restart(id string) error {
	c := d.containers.Get(id)
	c.Lock()
	if c.State == "removing" {
		return errRemoving // returns holding c's lock
	}
	c.State = "running"
	c.Unlock()
	return nil
}

// handle updates the container's state.
func handle(c *Container) {
	c.Lock() // want: mutex-lock main.Container.Mutex
	defer c.Unlock()
	c.State = "stopped"
}

func main() {
	c := &Container{ID: "web", State: "removing"}
	d := &Daemon{containers: &memoryStore{m: map[string]*Container{"web": c}}}
	_ = d.restart("web")
	go handle(c)

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
