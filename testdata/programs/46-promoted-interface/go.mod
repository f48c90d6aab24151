module example.com/promoted-interface

go 1.19
