import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A staff login. The roster itself (teams, stores, capacity) belongs to the leads service. */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  username!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column({ name: 'staff_id', type: 'uuid', nullable: true })
  staffId!: string | null;

  @Column({ name: 'store_id', type: 'uuid', nullable: true })
  storeId!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** 'pending' while its staff member is being made in the leads service (then also inactive). */
  @Column({ type: 'text', default: 'active' })
  state!: 'pending' | 'active';

  /** Which request reserved a pending login: only its retry may resume it. */
  @Column({ type: 'text', nullable: true })
  reservation!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
