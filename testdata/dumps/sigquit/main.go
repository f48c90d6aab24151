// A program that sends itself SIGQUIT while its goroutines wait: the runtime prints every
// goroutine (GOTRACEBACK=all), with runtime frames, `gp=`/`m=` headers and fp/sp/pc
// (GOTRACEBACK=system), and registers (GOTRACEBACK=crash).
package main

import (
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
)

type server struct {
	mu       sync.Mutex
	requests chan string
}

func (s *server) handle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests <- "reply" // nobody receives
}

func lockedLoop(stop chan struct{}) {
	runtime.LockOSThread()
	<-stop
}

func main() {
	s := &server{requests: make(chan string)}
	for i := 0; i < 3; i++ {
		go s.handle()
	}
	go lockedLoop(make(chan struct{}))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { wg.Wait() }()
	time.Sleep(100 * time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGQUIT)
	time.Sleep(5 * time.Second)
}
