module example.com/param-named-func

go 1.19
