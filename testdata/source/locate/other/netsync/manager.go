package netsync

// A second root holding a file of the same relative path: the first root wins a tie.
func Other() {}
