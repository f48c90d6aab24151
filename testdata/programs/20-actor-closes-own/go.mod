module example.com/actor-closes-own

go 1.19
