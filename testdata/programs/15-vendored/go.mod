module example.com/vendored

go 1.19

require example.org/lib v1.0.0
