// Command x uses a store from its own internal package (example.com/x/internal/store), so that
// the dump carries a package path other than main: one bad Put leaks the store's mutex and every
// later reader waits for it.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"example.com/x/internal/store"
)

type app struct {
	st *store.Store
}

func (a *app) handleLookup(key string) {
	_, _ = a.st.Get(key)
}

func (a *app) handleWrite(key, value string) {
	_ = a.st.Put(key, value)
}

func main() {
	a := &app{st: store.New()}
	a.handleWrite("greeting", "hello")
	done := make(chan struct{})
	go func() {
		a.handleWrite("", "oops") // returns ErrEmptyKey with the store's mutex held
		close(done)
	}()
	<-done
	for i := 0; i < 3; i++ {
		go a.handleLookup("greeting")
	}

	waitParked(4)
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
