package q

var ready = make(chan struct{})

func Wait() { <-ready }
