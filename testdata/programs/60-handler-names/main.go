// Command handler-names leaks a lock on an error path and then serves a request whose handler
// needs it. The blocked goroutine was started by net/http (`(*conn).serve`), but people know it by
// the program's own code it runs: the handler, `handleCheckout`.
package main

import (
	"errors"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type cart struct {
	mu    sync.Mutex
	items int
}

var errEmpty = errors.New("empty cart")

// reserve returns with c.mu still held when the cart is empty.
func (c *cart) reserve() error {
	c.mu.Lock()
	if c.items == 0 {
		return errEmpty
	}
	c.mu.Unlock()
	return nil
}

func (c *cart) handleCheckout(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock() // want: mutex-lock main.cart.mu
	defer c.mu.Unlock()
	c.items--
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	c := &cart{}
	_ = c.reserve()
	mux := http.NewServeMux()
	mux.HandleFunc("/checkout", c.handleCheckout)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go http.Serve(ln, mux)
	go func() {
		client := &http.Client{Timeout: 5 * time.Second}
		if resp, err := client.Post("http://"+ln.Addr().String()+"/checkout", "text/plain", nil); err == nil {
			resp.Body.Close()
		}
	}()
	waitFor(func() bool { return blockedInHandler() })
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}

// blockedInHandler tells whether some goroutine already waits inside handleCheckout.
func blockedInHandler() bool {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	return contains(string(buf[:n]), "handleCheckout")
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// waitFor polls cond for up to 10 s, then gives the goroutines time to park.
func waitFor(cond func() bool) {
	deadline := time.Now().Add(10 * time.Second)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
}
