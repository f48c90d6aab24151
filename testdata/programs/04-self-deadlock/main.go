// Command self-deadlock locks a mutex it already holds: Cache.Get holds the cache's embedded
// mutex and, on a miss, calls refresh, which locks it again.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type Cache struct {
	sync.Mutex
	items map[string]string
	load  func(key string) string
}

func (c *Cache) Get(key string) string {
	c.Lock()
	defer c.Unlock()
	if v, ok := c.items[key]; ok {
		return v
	}
	c.refresh(key)
	return c.items[key]
}

// refresh is also called from outside the lock by a periodic reloader, hence its own Lock.
func (c *Cache) refresh(key string) {
	c.Lock() // want: mutex-lock main.Cache.Mutex
	defer c.Unlock()
	c.items[key] = c.load(key)
}

func serveLookups(c *Cache, keys []string) {
	for _, k := range keys {
		_ = c.Get(k)
	}
}

func main() {
	c := &Cache{items: map[string]string{"warm": "1"}, load: func(k string) string { return k }}
	go serveLookups(c, []string{"warm", "cold"})

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
