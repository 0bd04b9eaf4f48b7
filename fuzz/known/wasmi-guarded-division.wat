(module
  (type (;0;) (func (param i32) (result i64 i32 i32 i64 i32 i64)))
  (type (;1;) (func (result i32 i64 i64 i64 i32 i64)))
  (global (;0;) (mut i64) i64.const -2638029522670936735)
  (global (;1;) (mut i32) i32.const 0)
  (export "" (func 0))
  (export "1" (func 1))
  (export "2" (global 0))
  (func (;0;) (type 0) (param i32) (result i64 i32 i32 i64 i32 i64)
    (local i64 i64 i32 i32 i32 i32 i64 i64 i64 i64 i64 i64 i32 i32 i32 i64)
    i64.const 7145968998437392832
    i64.popcnt
    i64.extend16_s
    i64.const 5184405837711854524
    local.set 1
    i64.const 1
    local.get 1
    local.get 1
    i64.eqz
    select
    local.set 1
    local.set 2
    block ;; label = @1
      block ;; label = @2
        local.get 2
        local.get 1
        local.set 1
        local.tee 2
        i64.const -9223372036854775808
        i64.ne
        br_if 0 (;@2;)
        local.get 1
        i64.const -1
        i64.ne
        br_if 0 (;@2;)
        i64.const 1
        local.set 1
        br 1 (;@1;)
      end
    end
    local.get 2
    local.get 1
    i64.div_s
    i64.eqz
    i64.extend_i32_s
    i32.const 1193509978
    i64.const -7224892731560754760
    i64.extend16_s
    i64.eqz
    data.drop 0
    i64.const 2530318606455939795
    i64.extend8_s
    i64.const -1160097571256122260
    i64.lt_s
    i32.shr_u
    i32.or
    i64.const 1152921504606846975
    i32.const 1601282769
    i64.extend_i32_u
    i64.ne
    i32.eqz
    i32.gt_s
    i32.extend16_s
    i32.ctz
    i32.eqz
    i32.extend8_s
    i64.extend_i32_u
    i64.and
    i64.extend8_s
    i64.const -35184372088833
    i64.le_s
    i32.const 67108864
    local.set 3
    i32.const 1
    local.get 3
    local.get 3
    i32.eqz
    select
    local.set 3
    local.set 4
    block ;; label = @1
      block ;; label = @2
        local.get 4
        local.get 3
        local.set 3
        local.tee 4
        i32.const -2147483648
        i32.ne
        br_if 0 (;@2;)
        local.get 3
        i32.const -1
        i32.ne
        br_if 0 (;@2;)
        i32.const 1
        local.set 3
        br 1 (;@1;)
      end
    end
    local.get 4
    local.get 3
    i32.div_s
    i64.extend_i32_u
    i64.const -5784639380852878039
    i64.ge_s
    i64.extend_i32_u
    i64.eqz
    data.drop 0
    i32.ctz
    i32.ctz
    i32.eqz
    i64.extend_i32_u
    i32.const 4095
    i32.clz
    i64.extend_i32_s
    data.drop 0
    i64.ctz
    i64.ge_s
    i32.const 1341565332
    i32.le_s
    i64.extend_i32_s
    data.drop 0
    i64.eqz
    i32.const -513
    i32.popcnt
    i64.extend_i32_u
    i64.extend8_s
    i64.extend32_s
    i64.extend16_s
    i64.const 1311930267557831230
    i64.shl
    data.drop 0
    i64.extend32_s
    i64.const 673144762247338803
    i64.le_s
    i32.sub
    i64.const 5296341770232040378
    i64.popcnt
    i64.ctz
    i64.extend8_s
    i32.const -47358990
    i64.const 134604587842098602
    data.drop 0
    i64.extend8_s
    i64.extend8_s
    i64.clz
    i64.clz
    i32.const -4096
    i32.eqz
    i64.const -6165810930209543084
    i32.const 1614983541
    global.get 1
    i32.xor
    global.set 1
    i64.ctz
    i32.const 32
    i32.extend8_s
    i32.extend8_s
    i64.const 4504462811210720925
    i64.ctz
    data.drop 0
    i64.clz
    data.drop 0
    i64.extend16_s
    i64.clz
    i64.extend8_s
    i64.eqz
    i32.const -1808487482
    i32.eqz
    i32.le_u
    i32.gt_s
    i32.extend16_s
    i32.extend16_s
    i32.ctz
    i64.extend_i32_u
    i64.shl
    i64.extend16_s
    i64.eqz
    local.set 5
    i32.const 1
    local.get 5
    local.get 5
    i32.eqz
    select
    local.set 5
    local.set 6
    block ;; label = @1
      block ;; label = @2
        local.get 6
        local.get 5
        local.set 5
        local.tee 6
        i32.const -2147483648
        i32.ne
        br_if 0 (;@2;)
        local.get 5
        i32.const -1
        i32.ne
        br_if 0 (;@2;)
        i32.const 1
        local.set 5
        br 1 (;@1;)
      end
    end
    local.get 6
    local.get 5
    i32.rem_s
    i64.const -1787994687546687962
    i64.extend32_s
    data.drop 0
    i64.ctz
    i32.wrap_i64
    i32.lt_u
    i32.popcnt
    i32.const -103785456
    i32.clz
    i32.ne
    i32.ctz
    i32.extend8_s
    i32.ctz
    i32.popcnt
    i64.extend_i32_s
    i64.extend32_s
    i64.shr_s
    i64.extend32_s
    i64.const -6210964296721028224
    i64.ctz
    local.set 7
    i64.const 1
    local.get 7
    local.get 7
    i64.eqz
    select
    local.set 7
    local.set 8
    block ;; label = @1
      block ;; label = @2
        local.get 8
        local.get 7
        local.set 7
        local.tee 8
        i64.const -9223372036854775808
        i64.ne
        br_if 0 (;@2;)
        local.get 7
        i64.const -1
        i64.ne
        br_if 0 (;@2;)
        i64.const 1
        local.set 7
        br 1 (;@1;)
      end
    end
    local.get 8
    local.get 7
    i64.div_s
    i64.extend16_s
    i64.popcnt
    i64.extend32_s
    i64.extend32_s
    i32.const 1192610934
    data.drop 0
    i64.extend_i32_s
    i64.shr_u
    i64.popcnt
    i64.extend8_s
    i32.const 8
    i32.ctz
    i64.extend_i32_s
    i64.add
    i64.ctz
    i64.ctz
    i64.eqz
    i32.and
    i64.extend_i32_s
    i32.const 1875300862
    i64.extend_i32_s
    local.set 9
    i64.const 1
    local.get 9
    local.get 9
    i64.eqz
    select
    i64.rem_u
    local.set 10
    i64.const 1
    local.get 10
    local.get 10
    i64.eqz
    select
    local.set 10
    local.set 11
    block ;; label = @1
      block ;; label = @2
        local.get 11
        local.get 10
        local.set 10
        local.tee 11
        i64.const -9223372036854775808
        i64.ne
        br_if 0 (;@2;)
        local.get 10
        i64.const -1
        i64.ne
        br_if 0 (;@2;)
        i64.const 1
        local.set 10
        br 1 (;@1;)
      end
    end
    local.get 11
    local.get 10
    i64.div_s
    i32.const -1673779459
    i32.popcnt
    i32.const 32767
    i32.sub
    i32.eqz
    i32.extend8_s
    i64.extend_i32_s
    i64.add
    i64.extend16_s
    i64.eqz
    i32.gt_u
    i32.ctz
    i32.eqz
    i64.extend_i32_u
    i64.const 2206139822849918470
    i64.ne
    i32.ctz
    i32.ctz
    i32.eqz
    i64.const 8651095086710669410
    i64.extend16_s
    i32.const -691685878
    i32.ctz
    i32.popcnt
    i32.ctz
    i64.extend_i32_u
    i64.sub
    i32.wrap_i64
    i32.eq
    i64.extend_i32_u
    i64.clz
    i64.extend32_s
    i64.eqz
    i32.extend16_s
    i32.clz
    i64.extend_i32_s
    i32.const -1074657762
    i32.extend8_s
    i64.const -65537
    i64.eqz
    i32.eq
    i32.extend8_s
    i32.clz
    i32.clz
    i64.extend_i32_s
    i64.popcnt
    i64.ne
    i64.const -288230376151711745
    i32.const 1354049301
    i32.extend16_s
    i32.popcnt
    i64.extend_i32_u
    i64.rotr
    i64.extend8_s
    data.drop 0
    i64.const -493850550092645535
    local.set 12
    i64.const 1
    local.get 12
    local.get 12
    i64.eqz
    select
    i64.div_u
    data.drop 0
    i64.popcnt
    i64.extend32_s
    i64.eqz
    i32.shl
    i32.extend8_s
    i32.const 131071
    i32.clz
    i32.le_u
    i32.clz
    i64.const -16777216
    data.drop 0
    i64.extend8_s
    i64.eqz
    i32.gt_s
    i32.ctz
    i64.const -274877906945
    i64.extend8_s
    data.drop 0
    i64.const 16384
    i64.ctz
    i64.or
    i64.eqz
    local.set 13
    i32.const 1
    local.get 13
    local.get 13
    i32.eqz
    select
    i32.div_u
    i64.extend_i32_u
    i64.extend16_s
    i64.clz
    i64.extend8_s
    i64.extend8_s
    i64.const -8830120895325515774
    data.drop 0
    i64.shr_u
    data.drop 0
    i32.const -1181190104
    i32.eqz
    i32.extend8_s
    i32.ctz
    i32.eqz
    i64.extend_i32_u
    i64.eq
    i64.extend_i32_s
    i64.clz
    i64.ctz
    i64.popcnt
    i64.extend16_s
    i64.extend8_s
    i64.extend32_s
    i64.popcnt
    i32.wrap_i64
    i32.extend16_s
    i64.extend_i32_s
    i64.clz
    i64.extend32_s
    i64.extend16_s
    i64.clz
    i64.extend16_s
    i64.popcnt
    i32.wrap_i64
    i32.clz
    i32.popcnt
    i32.const -695920309
    i32.shr_u
    i32.const 256
    i32.le_s
    data.drop 0
    i32.extend16_s
    i32.popcnt
    i32.extend16_s
    i32.extend8_s
    i32.const 4095
    i32.popcnt
    i32.le_u
    i32.const -1821153882
    i32.ctz
    i32.shr_s
    i32.popcnt
    i32.extend8_s
    i64.extend_i32_u
    i32.wrap_i64
    i32.ctz
    i32.eqz
    i64.extend_i32_u
    i32.wrap_i64
    i32.popcnt
    i32.clz
    i32.clz
    i32.const -340200004
    local.set 14
    i32.const 1
    local.get 14
    local.get 14
    i32.eqz
    select
    local.set 14
    local.set 15
    block ;; label = @1
      block ;; label = @2
        local.get 15
        local.get 14
        local.set 14
        local.tee 15
        i32.const -2147483648
        i32.ne
        br_if 0 (;@2;)
        local.get 14
        i32.const -1
        i32.ne
        br_if 0 (;@2;)
        i32.const 1
        local.set 14
        br 1 (;@1;)
      end
    end
    local.get 15
    local.get 14
    i32.div_s
    i32.clz
    i32.const 296748689
    i32.shl
    i32.extend16_s
    i32.ctz
    i32.clz
    i32.clz
    data.drop 0
    i32.eqz
    data.drop 0
    i32.eqz
    i32.clz
    i64.extend_i32_u
    i64.const 3605865746900889040
    i64.or
    i64.const -5241238079360432254
    local.set 16
    i64.const 1
    local.get 16
    local.get 16
    i64.eqz
    select
    i64.div_u
    i32.const 2048
    i32.popcnt
    i64.extend_i32_u
    i64.le_s
    i32.const 32
    i32.xor
    i64.extend_i32_u
    i64.extend8_s
    i32.wrap_i64
    i32.const 91326087
    i32.clz
    i32.le_s
    i32.popcnt
    i32.extend8_s
    i32.eqz
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.extend8_s
    i64.extend_i32_u
    i64.const 2139095039
    i64.lt_s
    data.drop 0
    i32.const 1005638411
    i32.and
    i32.extend8_s
    global.get 1
    i32.xor
    global.set 1
    i64.const 187364190761826585
    i32.const 233180927
    i32.const -256
    i64.const 536870912
    i32.const 2139095040
    i64.const -987724826950097781
  )
  (func (;1;) (type 0) (param i32) (result i64 i32 i32 i64 i32 i64)
    (local i32 i32 i32)
    data.drop 0
    data.drop 0
    data.drop 0
    i64.const -144115188075855872
    i64.ctz
    i32.wrap_i64
    data.drop 0
    i64.extend_i32_u
    i64.popcnt
    i64.clz
    data.drop 0
    i64.ctz
    i64.ctz
    i64.clz
    i64.extend8_s
    i64.eqz
    i32.clz
    i32.ctz
    i32.popcnt
    i64.extend_i32_u
    i64.popcnt
    i64.extend8_s
    i64.eqz
    i64.const 2048
    i64.clz
    i64.clz
    i64.extend16_s
    i64.extend32_s
    i64.extend8_s
    i64.extend32_s
    i32.const 16384
    i32.popcnt
    i64.const 32768
    i32.wrap_i64
    i32.ge_u
    i64.const -16777217
    i64.const 549755813888
    i64.le_s
    i32.rotr
    i64.extend_i32_s
    i64.shl
    i32.wrap_i64
    i32.eq
    i32.eqz
    i32.popcnt
    i32.popcnt
    i64.extend_i32_s
    i64.extend16_s
    i64.ctz
    i64.extend16_s
    i64.extend16_s
    i64.extend32_s
    i32.wrap_i64
    i64.const 1574598125448684946
    i64.clz
    i64.clz
    i64.popcnt
    i32.wrap_i64
    i32.add
    i32.eqz
    i32.const -1
    i32.eqz
    i32.lt_s
    i64.extend_i32_s
    i64.ctz
    i64.eqz
    i32.popcnt
    i32.extend16_s
    i32.popcnt
    i64.extend_i32_u
    i64.popcnt
    i64.ctz
    i64.ctz
    i64.const 16384
    i64.rotl
    i64.clz
    i32.const 256
    i64.extend_i32_u
    i64.ge_s
    i32.eqz
    i32.extend16_s
    i32.popcnt
    i32.extend8_s
    data.drop 0
    i32.ctz
    data.drop 0
    i64.extend_i32_s
    i64.extend8_s
    i64.eqz
    i32.const 32767
    local.set 3
    i32.const 1
    local.get 3
    local.get 3
    i32.eqz
    select
    i32.div_u
    i32.extend16_s
    i64.const -4096
    i64.extend32_s
    i64.extend16_s
    i64.extend16_s
    i32.const 67108864
    i64.const -1048576
    i64.extend8_s
    data.drop 0
    i64.ctz
    i32.wrap_i64
    i32.shl
    i64.const 5286383308452343712
    i64.const 6542452335816645614
    i64.ctz
    i64.ctz
    i64.lt_s
    i32.ge_s
    i32.extend16_s
    i32.popcnt
    i32.ctz
    i32.eqz
    i32.extend16_s
    i32.popcnt
    i32.eqz
    i64.extend_i32_s
    i64.eq
    i32.popcnt
    i32.and
    i32.popcnt
    i64.extend_i32_s
    i64.extend16_s
    i64.extend16_s
    i64.extend16_s
    i64.extend8_s
    i64.const -6148914691236517206
    i64.xor
    i64.extend32_s
    data.drop 0
    i64.eqz
    i32.extend8_s
    i64.extend_i32_s
    i64.extend8_s
    i64.const -1048576
    i64.or
    i32.wrap_i64
    i32.popcnt
    i32.ctz
    i64.extend_i32_s
    i64.extend8_s
    i64.ctz
    i64.extend32_s
    i64.popcnt
    i64.ctz
    i32.const 16777215
    i64.extend_i32_s
    i64.lt_s
    i32.const 8192
    data.drop 0
    drop
    drop
    i64.const 0
    i32.const 0
    i32.const 0
    i64.const 0
    i32.const 0
    i64.const 0
  )
  (data (;0;) "")
)

