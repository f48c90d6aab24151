// Command once-blocked hangs inside a sync.Once: the first caller's initialiser waits for a
// configuration that never arrives, and every later caller waits in Once.Do behind it. The later
// callers wait on the Once, not on a leaked lock: the goroutine inside the initialiser holds it.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type Config struct {
	once   sync.Once
	loaded chan map[string]string
	values map[string]string
}

// Get loads the configuration on first use.
func (c *Config) Get(key string) string {
	c.once.Do(c.load) // want: mutex-lock main.Config.once
	return c.values[key]
}

// load waits for the loader that nobody starts in this run.
func (c *Config) load() {
	c.values = <-c.loaded // want: chan-receive main.Config.loaded
}

func main() {
	c := &Config{loaded: make(chan map[string]string)}
	go c.Get("first")
	waitParked(2)
	for i := 0; i < 3; i++ {
		go c.Get("later")
	}

	waitParked(5)
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
