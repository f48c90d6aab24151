// Package main holds one shape per value-flow rule. The test reads the `// class:` and `// open:`
// marks: a class mark on a line says the resource names A and B are one class; an open mark
// says A's class is open (its value may reach code the index cannot follow); a closed mark says
// it is not; a home mark says A's class is made fresh by each call of F.
package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
)

type Server struct {
	quit    chan struct{}
	reqs    chan int
	results chan int
	mu      sync.Mutex
}

// Parameters join the argument's class.
func drain(ch chan int) { // class: main.drain#ch main.Server.reqs
	for range ch {
	}
}

func (s *Server) start() {
	go drain(s.reqs)
	go s.loop()
}

func (s *Server) loop() {
	for {
		select {
		case <-s.quit: // closed: main.Server.quit
			return
		case v := <-s.reqs:
			fmt.Println(v)
		}
	}
}

// A composite-literal field and a plain assignment join the local's class.
func newServer() *Server {
	results := make(chan int) // class: main.newServer#results main.Server.results
	s := &Server{results: results, quit: make(chan struct{})}
	var next chan int
	next = s.reqs // class: main.newServer#next main.Server.reqs
	_ = next
	return s
}

// A channel stored in a value handed to code outside the index joins the field it is stored in:
// what the outside code calls back (ServeHTTP, an entry point) is where the field is used.
func register(mux *http.ServeMux, updates chan string) { // class: main.register#updates main.handler.c
	mux.Handle("/", handler{updates})
}

// A channel handed to code outside the index itself is open.
func publish(m *sync.Map, events chan string) { // open: main.publish#events
	m.Store("events", events)
}

type handler struct{ c chan string }

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

// Returned, sent and received channels are open; a fresh local made and kept here is closed.
func After(f func()) chan struct{} {
	ch := make(chan struct{}) // open: main.After#ch
	go func() {
		defer close(ch)
		f()
	}()
	return ch
}

func relay(out chan chan int) {
	mine := make(chan int) // open: main.relay#mine
	out <- mine
}

func fanOut(n int) int {
	results := make(chan int) // home: main.fanOut#results main.fanOut
	for i := 0; i < n; i++ {
		go func(i int) { results <- i }(i)
	}
	return <-results
}

// A child context joins its parent: the parent's cancel ends it too.
func withParent(parent context.Context) {
	ctx, cancel := context.WithCancel(parent) // class: main.withParent#ctx main.withParent#parent
	defer cancel()
	<-ctx.Done()
}

// A cancel function stored away may be called where the index cannot see.
type tx struct{ cancel context.CancelFunc }

func begin() *tx {
	ctx, cancel := context.WithCancel(context.Background()) // open: main.begin#ctx
	t := &tx{cancel: cancel}
	go func() { <-ctx.Done() }()
	return t
}

// `ch := ch` names the outer ch, never itself.
func copies(chs []chan int) {
	for _, ch := range chs {
		ch := ch // open: main.copies#ch
		go func() { <-ch }()
	}
}

func main() {
	s := newServer()
	s.start()
	withParent(context.Background())
	_ = After(func() {})
	relay(make(chan chan int, 1))
	_ = fanOut(3)
	_ = begin()
	copies(nil)
	register(http.NewServeMux(), make(chan string))
	publish(&sync.Map{}, make(chan string))
}
