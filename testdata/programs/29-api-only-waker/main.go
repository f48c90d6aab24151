// Command api-only-waker starts a server loop whose only wakers are its API methods (Submit,
// Close), and then never calls them: no goroutine that is still running can reach them, and no
// goroutine serves callers from outside (no HTTP server, no callbacks). The loop waits forever, but
// only "unless somebody calls Close": gridlock may say so only as a possible finding.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// Server handles requests one at a time until it is closed.
type Server struct {
	reqs chan int
	quit chan struct{}
}

// NewServer starts the server's loop.
func NewServer() *Server {
	s := &Server{reqs: make(chan int), quit: make(chan struct{})}
	go s.loop()
	return s
}

func (s *Server) loop() {
	for {
		select { // want: select main.Server.reqs main.Server.quit
		case r := <-s.reqs:
			_ = r * 2
		case <-s.quit:
			return
		}
	}
}

// Submit hands the loop a request.
func (s *Server) Submit(r int) { s.reqs <- r }

// Close stops the loop.
func (s *Server) Close() { close(s.quit) }

func main() {
	NewServer()
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
