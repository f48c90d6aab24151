// Command closer-waker is healthy: a server loop waits on its quit channel (among other cases),
// whose only waker, close(s.quit), is in (*Server).Close, reached only through io.Closer: main keeps
// its components as []io.Closer and closes them in a deferred loop, while it waits for a signal.
package main

import (
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"
)

type Server struct {
	conns  chan string
	quit   chan struct{}
	served int
}

func NewServer() *Server {
	s := &Server{conns: make(chan string), quit: make(chan struct{})}
	go s.loop()
	return s
}

// loop serves connections until the server is closed.
func (s *Server) loop() {
	for {
		select { // want: select main.Server.conns main.Server.quit
		case <-s.conns:
			s.served++
		case <-s.quit:
			return
		}
	}
}

// Close stops the server's loop.
func (s *Server) Close() error {
	close(s.quit)
	return nil
}

// dumpAndExit writes the goroutine dump once the others are parked, and ends the program.
func dumpAndExit() {
	waitParked(4)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
	os.Exit(0)
}

func main() {
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	closers = append(closers, NewServer())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	go dumpAndExit()
	<-stop // want: chan-receive main.main#stop
}

// waitParked waits until n goroutines exist and gives them time to reach their blocking operation.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
}
