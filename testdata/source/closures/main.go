// Closure and wrapper naming fixture: every goroutine parks on a channel, then the program prints
// a debug=2 goroutine dump (generate.sh) so tests can compare the runtime's names with the index.
package main

import (
	"os"
	"runtime/pprof"
	"time"
)

var block = make(chan int)

type server struct{ quit chan struct{} }

func (s *server) run()            { <-s.quit }
func (s server) runValue(n int)   { <-s.quit }
func park(n int)                  { <-block }
func parkNoArgs()                 { <-block }
func Map[T any](xs []T, f func(T)) { for _, x := range xs { f(x) } }

type box[T any] struct{ ch chan T }

func (b *box[T]) wait() { <-b.ch }

var initHook = func() { <-block }

func (s *server) start() {
	go func() {
		<-s.quit
	}()
	go func() {
		func() {
			<-s.quit
		}()
	}()
}

func main() {
	s := &server{quit: make(chan struct{})}
	go func() {
		<-block
	}()
	go func() {
		go func() {
			<-block
		}()
		<-block
	}()
	go park(1)
	go parkNoArgs()
	go s.run()
	go s.runValue(2)
	go Map([]int{1}, func(int) { <-block })
	b := &box[int]{ch: make(chan int)}
	go b.wait()
	go initHook()
	s.start()
	go func(n int) {
		defer func() { <-block }()
		defer park(n)
	}(3)
	time.Sleep(200 * time.Millisecond)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}
